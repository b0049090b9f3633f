export function AnalyticsScreen() {
  return <p>Coming soon</p>;
}
