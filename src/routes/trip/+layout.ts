// The photo check runs on a trip device with no signal: it renders in the browser and loads
// nothing from a server-only load (the list comes from IndexedDB, the download from the API).
export const ssr = false;
export const prerender = true;
