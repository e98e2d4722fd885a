/** Vite's `?url` imports: the URL of the file in the build (here, the wasm backend's binaries). */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
