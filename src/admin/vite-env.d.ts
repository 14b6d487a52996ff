// The one Vite API the admin customisation uses (Strapi builds the admin with Vite).
interface ImportMeta {
  glob<T>(pattern: string, options: { eager: true; import: 'default' }): Record<string, T>;
}
