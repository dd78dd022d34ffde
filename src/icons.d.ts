/** Icons bundled at build time by vite-plugins/bundled-icons.ts: the URL of one icon. */
declare module 'icon:*' {
  const url: string;
  export default url;
}
