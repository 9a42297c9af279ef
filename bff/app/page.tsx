export const dynamic = 'force-dynamic';

export default function Home() {
  return (
    <main style={{ maxWidth: 640, margin: '48px auto', padding: '0 16px' }}>
      <h1>PayQR</h1>
      <p>
        The BFF is running. Sandbox: <a href="/sandbox">/sandbox</a> · Health: <a href="/api/health">/api/health</a>
      </p>
    </main>
  );
}
