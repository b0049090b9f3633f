export function MessageScreen() {
  return <p>Coming soon</p>;
}
