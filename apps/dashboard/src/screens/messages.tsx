export function MessagesScreen() {
  return <p>Coming soon</p>;
}
