export function WebhooksScreen() {
  return <p>Coming soon</p>;
}
