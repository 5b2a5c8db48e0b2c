import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../main/app/security-headers';

/** The CSP as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) {
      map.set(name, sources);
    }
  }
  return map;
}

describe('CONTENT_SECURITY_POLICY', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('allows neither inline script nor eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'wasm-unsafe-eval'");
  });

  it('denies everything by default', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('runs only our own scripts', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('plays media from in-memory blobs only', () => {
    expect(csp.get('media-src')).toEqual(['blob:']);
  });

  it('names no remote source anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|data:/);
  });

  it('forbids framing, plugins and workers', () => {
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('worker-src')).toEqual(["'none'"]);
  });
});

describe('SECURITY_HEADERS', () => {
  it('carries the CSP, no-sniff and no disk cache', () => {
    expect(SECURITY_HEADERS).toMatchObject({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
});
