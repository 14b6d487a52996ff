// The admin build (Vite) compiles the TypeScript source directly.
export { default } from './admin/src';
