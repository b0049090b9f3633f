export function TemplateScreen() {
  return <p>Coming soon</p>;
}
