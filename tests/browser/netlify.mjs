// Reads a netlify.toml with Netlify's own configuration loader (@netlify/config,
// the one its build system runs) and prints what Netlify would make of it, as
// JSON: the build command, the publish folder and the header rules, with the
// `_headers` file of the publish folder when `--headers-file` names one.
// A configuration Netlify refuses or warns about exits 1 with its message.
// Usage: node netlify.mjs SITE_DIR [--headers-file FILE]
import { resolveConfig } from '@netlify/config';
import { parseAllHeaders } from '@netlify/headers-parser';

const [dir, flag, file] = process.argv.slice(2);
try {
  const { config, logs } = await resolveConfig({ repositoryRoot: dir, cwd: dir, offline: true, mode: 'cli', buffer: true });
  // Netlify only warns about a header rule it cannot read, and drops it: here that is a failure.
  if (logs.stderr.length) throw new Error(logs.stderr.join('\n'));
  const out = { command: config.build.command, publish: config.build.publish, headers: config.headers ?? [] };
  if (flag === '--headers-file') {
    const { headers, errors } = await parseAllHeaders({ headersFiles: [file], configHeaders: [], minimal: true });
    if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
    out.headersFile = headers;
  }
  for (const h of [...out.headers, ...(out.headersFile ?? [])]) delete h.forRegExp;
  console.log(JSON.stringify(out, null, 2));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
