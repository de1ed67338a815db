import { readFileSync, mkdtempSync } from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { startGateway } from './lib/servers.mjs';
const server = await startGateway({ databaseEnv: { DATABASE_URL: process.env.DATABASE_URL }, workDir: mkdtempSync(path.join(os.tmpdir(), 'idle-')) });
const cpu = () => { const f = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
await new Promise((r) => setTimeout(r, 2000)); const a = cpu(); await new Promise((r) => setTimeout(r, 10000)); console.log('idle CPU ms per s', (cpu() - a) / 10);
await server.stop(); process.exit(0);
