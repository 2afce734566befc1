import { Suspense, useEffect } from 'react';
import { t } from '../i18n/strings';
import { LoginPage } from './LoginPage';
import { matchPath, navigate, useLocation } from './router';
import { homeOf, PAGE_ROUTES } from './routes';
import { SessionProvider, useSession } from './session';
import { Shell } from './Shell';
import { ErrorBoundary } from './ErrorBoundary';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { PasswordPage } from './PasswordPage';

export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}

function Pages() {
  const { user } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (user === undefined) return;
    if (user === null && path !== '/login') navigate(`/login?next=${encodeURIComponent(path)}`, { replace: true });
    else if (user && user.mustChangePassword && path !== '/password') navigate('/password', { replace: true });
    else if (user && (path === '/' || path === '/login')) navigate(homeOf(user.role), { replace: true });
  }, [user, path]);

  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPage />;
  if (path === '/password') return <PasswordPage />;

  for (const route of PAGE_ROUTES) {
    const params = matchPath(route.path, path);
    if (params === null) continue;
    const allowed = route.roles.includes(user.role);
    const Page = route.component;
    return (
      <Shell theme={route.theme}>
        <ErrorBoundary key={path}>
          {allowed ? (
            <Suspense fallback={<Loading />}>
              <Page params={params} />
            </Suspense>
          ) : (
            <>
              <PageTitle title={t.common.errors.forbidden}>{t.common.errors.forbidden}</PageTitle>
              <ErrorView error={new Error(t.common.errors.forbidden)} />
            </>
          )}
        </ErrorBoundary>
      </Shell>
    );
  }
  return (
    <Shell theme={user.role === 'patient' ? 'dim' : 'clinic'}>
      <PageTitle title={t.common.notFoundPage.title}>{t.common.notFoundPage.title}</PageTitle>
      <p>
        <a href={homeOf(user.role)}>{t.common.notFoundPage.home}</a>
      </p>
    </Shell>
  );
}
