export function TemplatesScreen() {
  return <p>Coming soon</p>;
}
