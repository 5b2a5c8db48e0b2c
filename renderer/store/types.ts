import type { StateCreator } from 'zustand';
import type { AppState } from './index';

/** A slice: a function of the combined store's set/get that returns its own namespace. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
