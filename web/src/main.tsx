// The app shell: loads the session, shows the login form in team mode, routes to the views.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { ApiError, loadSession, logout, setUnauthorizedHandler, type Session } from './api';
import { navigate, onLinkClick, useLocation } from './router';
import { SearchView } from './views/Search';
import { DocumentPage } from './views/Document';
import { EntityPage } from './views/Entity';
import { BatchPage } from './views/Batch';
import { StatusPage } from './views/Status';
import { LoginPage } from './views/Login';
import { AdminPage } from './views/Admin';
import { GraphPage } from './views/Graph';
import { TimelinePage } from './views/Timeline';
import { WatchListsPage } from './views/WatchLists';

function Nav({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const { path } = useLocation();
  const link = (href: string, label: string, key: string) => (
    <a
      href={href}
      onClick={onLinkClick}
      class={path === href || (href === '/' && path === '/search') ? 'active' : ''}
      accessKey={key}
    >
      {label}
    </a>
  );
  return (
    <header class="topbar">
      <a href="/" onClick={onLinkClick} class="brand">
        trove
      </a>
      <nav>
        {link('/', 'Search', 's')}
        {link('/batch', 'Batch search', 'b')}
        {link('/watchlists', 'Watch lists', 'w')}
        {link('/status', 'Ingest', 'i')}
        {session.role === 'admin' && session.mode === 'team' && link('/admin', 'Accounts', 'a')}
      </nav>
      <span class="spacer" />
      {session.mode === 'team' ? (
        <span class="who">
          <span class="user">{session.user}</span> <span class="role">({session.role})</span>{' '}
          <button type="button" class="link" onClick={onLogout} data-testid="logout">
            Log out
          </button>
        </span>
      ) : (
        <span class="who muted" title="No accounts: bound to this machine only">
          local mode
        </span>
      )}
    </header>
  );
}

function Routes() {
  const { path, params } = useLocation();
  if (path === '/' || path === '/search') return <SearchView params={params} />;
  const doc = /^\/doc\/([0-9a-f]{32})$/.exec(path);
  if (doc) return <DocumentPage id={doc[1]} params={params} />;
  if (path === '/entity') return <EntityPage params={params} />;
  if (path === '/graph') return <GraphPage params={params} />;
  if (path === '/timeline') return <TimelinePage params={params} />;
  if (path === '/batch') return <BatchPage />;
  if (path === '/watchlists') return <WatchListsPage params={params} />;
  if (path === '/status') return <StatusPage />;
  if (path === '/admin') return <AdminPage />;
  return (
    <main class="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>.{' '}
        <a href="/" onClick={onLinkClick}>
          Search
        </a>
      </p>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState('');
  const [needsLogin, setNeedsLogin] = useState(false);

  const refresh = async () => {
    try {
      const s = await loadSession();
      setSession(s);
      setNeedsLogin(s.mode === 'team' && s.user === '');
      setError('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  useEffect(() => {
    setUnauthorizedHandler(() => setNeedsLogin(true));
    void refresh();
  }, []);

  if (error) {
    return (
      <main class="page">
        <p class="error" role="alert">
          {error}
        </p>
        <button type="button" onClick={() => void refresh()}>
          Retry
        </button>
      </main>
    );
  }
  if (session === null) return <main class="page muted">Loading…</main>;
  if (needsLogin) {
    return (
      <LoginPage
        onLogin={(s) => {
          setSession(s);
          setNeedsLogin(false);
        }}
      />
    );
  }
  const onLogout = async () => {
    try {
      await logout();
    } finally {
      await refresh();
      navigate('/', true);
    }
  };
  return (
    <>
      <Nav session={session} onLogout={() => void onLogout()} />
      <Routes key={session.user} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
