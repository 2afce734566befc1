import { type ReactNode, useEffect } from 'react';
import { t } from '../i18n/strings';
import { Link, navigate, useLocation } from './router';
import { useSession } from './session';

/**
 * The frame of every signed-in page: skip link, header with the navigation of the user's role,
 * and the main landmark. `theme` "dim" is the dark, high-contrast look of the patient's diary.
 */
export function Shell({ theme, children }: { theme: 'dim' | 'clinic'; children: ReactNode }) {
  const { user, offline, signOut } = useSession();
  const { path } = useLocation();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const links =
    user?.role === 'patient'
      ? [
          { to: '/today', label: t.common.nav.today },
          { to: '/my-diary', label: t.common.nav.myDiary },
          { to: '/report', label: t.common.nav.report },
          { to: '/settings', label: t.common.nav.settings },
        ]
      : user?.role === 'researcher'
        ? [{ to: '/clinic/cohort', label: t.common.nav.cohort }]
        : [
            { to: '/clinic', label: t.common.nav.patients },
            { to: '/clinic/cohort', label: t.common.nav.cohort },
          ];
  const current = (to: string) => path === to || (to === '/clinic' && path.startsWith('/clinic/patients'));
  return (
    <>
      <a className="skip-link" href="#main">
        {t.common.skipToContent}
      </a>
      <header className="app-header">
        <span className="app-name">{t.common.appName}</span>
        <nav aria-label={t.common.nav.label}>
          <ul>
            {links.map((l) => (
              <li key={l.to}>
                <Link to={l.to} aria-current={current(l.to) ? 'page' : undefined}>
                  {l.label}
                </Link>
              </li>
            ))}
            <li>
              <button
                type="button"
                className="link-button"
                // Offline the logout request fails, but the device is signed out all the same.
                onClick={() => {
                  const toLogin = () => navigate('/login', { replace: true });
                  void signOut().then(toLogin, toLogin);
                }}
              >
                {t.common.nav.signOut}
              </button>
            </li>
          </ul>
        </nav>
      </header>
      {offline && (
        <p className="offline-banner" role="status">
          {t.common.errors.offline}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
