export function WebhookScreen() {
  return <p>Coming soon</p>;
}
