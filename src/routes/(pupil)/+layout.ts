// Pupil screens run on class iPads with or without the network: they render in the browser
// and load nothing from a server-only load.
export const ssr = false;
export const prerender = true;
