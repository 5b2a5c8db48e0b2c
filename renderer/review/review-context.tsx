import { createContext, useContext, type ReactNode } from 'react';
import type { ReviewFlow } from './review-flow';

export type ReviewContextValue = {
  readonly flow: ReviewFlow;
  /** The keys of a command as the help shows them (`Ctrl+K`), for button hints. */
  readonly keys: (commandId: string) => string;
};

const ReviewContext = createContext<ReviewContextValue | null>(null);

export function ReviewProvider({
  value,
  children,
}: {
  readonly value: ReviewContextValue;
  readonly children: ReactNode;
}) {
  return <ReviewContext.Provider value={value}>{children}</ReviewContext.Provider>;
}

export function useReview(): ReviewContextValue {
  const value = useContext(ReviewContext);
  if (!value) {
    throw new Error('useReview must be used inside <ReviewProvider>.');
  }
  return value;
}
