// Next.js calls register() once when the server starts: boot the app (configuration check,
// migrations, sweeper, start-up banner) before the first request rather than during it.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getApp } = await import('./src/next/app-instance');
    await getApp();
  }
}
