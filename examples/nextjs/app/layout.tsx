import type { ReactNode } from 'react';

export const metadata = { title: 'MessageJS + Next.js', description: 'A contact form and a server action that send with MessageJS' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560, margin: '2rem auto', lineHeight: 1.5 }}>{children}</body>
    </html>
  );
}
