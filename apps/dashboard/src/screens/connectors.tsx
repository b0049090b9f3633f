export function ConnectorsScreen() {
  return <p>Coming soon</p>;
}
