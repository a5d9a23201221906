// The error type lives in middleware/src/errors.ts (no layer imports api/); kept for existing imports.
export * from '../errors';
