export function KeysScreen() {
  return <p>Coming soon</p>;
}
