// The offline shell: prerendered and rendered in the browser. The service worker serves this
// page for any navigation that fails offline; SvelteKit's router then shows the route of the
// address that was asked for (a pupil screen, or the calm offline page for staff screens).
export const ssr = false;
export const prerender = true;
