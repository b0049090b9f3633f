import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TemplatePreview, analyseTemplate } from './template-preview';

function Editor({ initial }: { initial: string }) {
  const [content, setContent] = useState(initial);
  const [samples, setSamples] = useState<Record<string, string>>({});
  return (
    <>
      <label>
        Content
        <textarea value={content} onChange={(e) => setContent(e.target.value)} />
      </label>
      <TemplatePreview content={content} samples={samples} onSamplesChange={setSamples} />
    </>
  );
}

describe('the template preview', () => {
  it('finds the variables as the content is typed and renders the sample values', async () => {
    render(<Editor initial="Hello {{ name }}" />);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['name']);
    await userEvent.type(screen.getByLabelText('Sample value for name'), 'Ada');
    expect(screen.getByRole('status', { name: 'Preview' }).textContent).toBe('Hello Ada');

    await userEvent.type(screen.getByLabelText('Content'), ', order {{{{order.id}}');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['name', 'order.id']);
    await userEvent.type(screen.getByLabelText('Sample value for order.id'), '42');
    expect(screen.getByRole('status', { name: 'Preview' }).textContent).toBe('Hello Ada, order 42');
  });

  it('says why malformed content is not a template, as the API would', async () => {
    render(<Editor initial="Hi {{ 1st }}" />);
    expect(screen.getByRole('alert').textContent).toMatch(/invalid placeholder/);
    expect(analyseTemplate('Hi {{name').problem).toMatch(/unclosed/);
    expect(analyseTemplate('Hi {{a}} {{b}} {{a}}')).toEqual({ variables: ['a', 'b'], problem: null });
  });
});
