export type * from '../../domain/api-types.js';
