import { useState } from 'react';
import { CopyButton } from './ui';

/** curl and SDK code that works as pasted: this platform's origin, the project and the new key filled in. */
export function keySnippets(origin: string, projectId: string, key: string, publicKey: boolean): { curl: string; sdk: string } {
  const curl = [
    `curl -X POST ${origin}/api/v1/messages \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"to": "123456789", "message": "Hello from MessageJS", "connector": "telegram"}'`,
  ].join('\n');
  const sdk = [
    `import { MessageJS } from 'messagejs';`,
    '',
    `const messagejs = new MessageJS({ apiKey: '${key}', projectId: '${projectId}', baseUrl: '${origin}' });`,
    `await messagejs.send({ to: '123456789', message: 'Hello from MessageJS', connector: 'telegram' });`,
    ...(publicKey ? ['// A public key: call it from a page served by one of its allowed origins.'] : []),
  ].join('\n');
  return { curl, sdk };
}

export function KeySnippet({ projectId, apiKey, publicKey }: { projectId: string; apiKey: string; publicKey: boolean }) {
  const [tab, setTab] = useState<'curl' | 'sdk'>('curl');
  const snippets = keySnippets(window.location.origin, projectId, apiKey, publicKey);
  return (
    <div className="mt-3">
      <div role="group" aria-label="Snippet language" className="mb-2 flex gap-1">
        {(['curl', 'sdk'] as const).map((t) => (
          <button
            key={t}
            type="button"
            aria-pressed={tab === t}
            onClick={() => setTab(t)}
            className={`rounded-md px-2 py-1 text-xs font-medium ${tab === t ? 'bg-slate-800 text-white' : 'bg-slate-100 text-slate-800'}`}
          >
            {t === 'curl' ? 'curl' : 'Node SDK'}
          </button>
        ))}
      </div>
      <pre
        tabIndex={0}
        aria-label={`${tab === 'curl' ? 'curl' : 'SDK'} snippet`}
        className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
      >
        {snippets[tab]}
      </pre>
      <div className="mt-2">
        <CopyButton value={snippets[tab]} label="Copy snippet" />
      </div>
    </div>
  );
}
