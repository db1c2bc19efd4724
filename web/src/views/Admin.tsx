// Team mode, admins only: the accounts and the audit log (who searched, viewed, exported what).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components';

const kAuditPage = 100;

export function AdminPage() {
  const [users, setUsers] = useState<{ name: string; role: string; created: string }[]>([]);
  const [audit, setAudit] = useState<{ id: number; time: string; user: string; action: string; detail: string }[]>([]);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('reader');
  const [password, setPassword] = useState('');
  const [version, setVersion] = useState(0);

  const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : String(e));
  useEffect(() => {
    api.users().then((r) => setUsers(r.users)).catch(fail);
  }, [version]);
  useEffect(() => {
    api.audit(offset, kAuditPage).then((r) => setAudit(r.entries)).catch(fail);
  }, [offset, version]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError('');
      setVersion((v) => v + 1);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <main class="page admin-page">
      <h1>Accounts</h1>
      <ErrorBox message={error} />
      <table data-testid="users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.name}>
              <td>{u.name}</td>
              <td>{u.role}</td>
              <td>{u.created.slice(0, 10)}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    if (window.confirm(`Delete the account ${u.name}?`)) void act(() => api.deleteUser(u.name));
                  }}
                >
                  delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add or change an account</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.addUser(name.trim(), role, password)).then(() => setPassword(''));
        }}
      >
        <input aria-label="Account name" placeholder="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          <option value="reader">reader</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
        <input
          aria-label="Password"
          type="password"
          autoComplete="new-password"
          placeholder="password (8 or more characters)"
          minLength={8}
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit">Save</button>
      </form>
      <h2>Audit log</h2>
      <table class="audit" data-testid="audit">
        <thead>
          <tr>
            <th>Time</th>
            <th>User</th>
            <th>Action</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((e) => (
            <tr key={e.id}>
              <td>{e.time.replace('T', ' ').replace('Z', '')}</td>
              <td>{e.user || '-'}</td>
              <td>{e.action}</td>
              <td class="path">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - kAuditPage))}>
          ‹ Newer
        </button>
        <button type="button" disabled={audit.length < kAuditPage} onClick={() => setOffset(offset + kAuditPage)}>
          Older ›
        </button>
      </div>
    </main>
  );
}
