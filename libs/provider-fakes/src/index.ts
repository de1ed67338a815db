export { escapeHtml, FakeProviderServer, FAKE_CA_FILE, type Fault, type FakeHandler, type FakeReply, type FakeRequest, type FakeServerOptions } from './fake-server.js';
export { PublishedSchemas, SPECS_DIR } from './published-schemas.js';
