export function ConnectorScreen() {
  return <p>Coming soon</p>;
}
export function NewConnectorScreen() {
  return <p>Coming soon</p>;
}
