// Svelte compiler options for vite-plugin-svelte (defaults; present so the plugin stops looking).
export default {};
