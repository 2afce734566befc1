/** A self-contained page listing the API's operations, read from the OpenAPI document. */
const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface Operation {
  summary?: string;
  tags?: string[];
  'x-relief-access'?: string;
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  parameters?: { name: string; in: string; required: boolean }[];
}

export function docsPage(openapi: Record<string, unknown>): string {
  const paths = openapi.paths as Record<string, Record<string, Operation>>;
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? [])
        .map((p) => `<code>${escape(p.name)}</code> (${p.in}${p.required ? ', required' : ''})`)
        .join(', ');
      const body = op.requestBody
        ? `<details><summary>body schema</summary><pre>${escape(
            JSON.stringify(op.requestBody.content['application/json'].schema, null, 2),
          )}</pre></details>`
        : '';
      rows.push(
        `<section><h3><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>` +
          `<p>${escape(op.summary ?? '')}</p><p class="a">access: ${escape(op['x-relief-access'] ?? '')}` +
          `${params ? ` · parameters: ${params}` : ''}</p>${body}</section>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Relief API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
section{border-top:1px solid #ccc;padding:.5rem 0}.m{font-weight:700;color:#004c99}.a{color:#444;font-size:.9rem}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:.8rem}</style></head><body>
<h1>Relief API v1</h1><p>The machine-readable document is <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
${rows.join('\n')}</body></html>`;
}
