// Team mode: the collection has accounts, and nothing is readable before logging in.
import { useState } from 'preact/hooks';
import { ApiError, login, type Session } from '../api';

export function LoginPage({ onLogin }: { onLogin: (s: Session) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await login(name, password));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page login">
      <h1>trove</h1>
      <p class="muted">This collection has accounts: log in to use it.</p>
      <form onSubmit={(e) => void submit(e)} class="login-form">
        <label>
          Name
          <input
            name="name"
            autoComplete="username"
            autoFocus
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
