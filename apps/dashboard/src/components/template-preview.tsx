import { useId } from 'react';
import { parseTemplateVariables, renderTemplate, templateSyntaxProblem } from '@contracts/template';

/** The variables of `content` in order of first appearance, or why the content is not a valid template. */
export function analyseTemplate(content: string): { variables: string[]; problem: string | null } {
  const problem = templateSyntaxProblem(content);
  return problem ? { variables: [], problem: `The content ${problem}.` } : { variables: parseTemplateVariables(content), problem: null };
}

/**
 * The variables found in the content as the user types, a sample value for each, and the message as
 * the API would render it — with the same rule the API uses (libs/contracts/src/template.ts).
 */
export function TemplatePreview({
  content,
  samples,
  onSamplesChange,
}: {
  content: string;
  samples: Record<string, string>;
  onSamplesChange: (next: Record<string, string>) => void;
}) {
  const baseId = useId();
  const { variables, problem } = analyseTemplate(content);
  if (problem) {
    return (
      <p role="alert" className="text-sm text-red-800">
        {problem}
      </p>
    );
  }
  const values = Object.fromEntries(variables.map((name) => [name, samples[name] ?? '']));
  const rendering = renderTemplate(content, values);
  return (
    <div className="flex flex-col gap-3">
      <div>
        <h3 className="text-sm font-semibold text-slate-800">Variables</h3>
        {variables.length === 0 ? (
          <p className="text-sm text-slate-600">None yet: write {'{{name}}'} in the content to add one.</p>
        ) : (
          <ul aria-label="Variables" className="mt-1 flex flex-col gap-2">
            {variables.map((name) => (
              <li key={name} className="flex items-center gap-2">
                <label htmlFor={`${baseId}-${name}`} className="w-32 truncate font-mono text-xs text-slate-800">
                  {name}
                </label>
                <input
                  id={`${baseId}-${name}`}
                  aria-label={`Sample value for ${name}`}
                  className="flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
                  value={samples[name] ?? ''}
                  onChange={(e) => onSamplesChange({ ...samples, [name]: e.target.value })}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className="text-sm font-semibold text-slate-800">Preview</h3>
        <output
          aria-label="Preview"
          className="mt-1 block rounded-md border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-900"
        >
          {rendering.ok ? rendering.text : ''}
        </output>
      </div>
    </div>
  );
}
