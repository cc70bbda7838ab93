// Unit and component specs run in jsdom. IndexedDB comes from fake-indexeddb so that
// client stores can be tested without a browser.
import 'fake-indexeddb/auto';
