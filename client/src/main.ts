// Entry: a three-route SPA. The room (and Monaco) is loaded only on /s/<token>.
import './styles.css';
import { renderLanding, renderNotYet } from './pages/landing.ts';
import { renderMentor } from './pages/mentor.ts';

const app = document.getElementById('app');
if (!app) throw new Error('#app missing');

const path = location.pathname.replace(/\/+$/, '') || '/';
const room = /^\/s\/([^/]+)$/.exec(path);

if (room?.[1]) {
  const token = decodeURIComponent(room[1]);
  void import('./room/room.ts').then(({ startRoom }) => startRoom(app, token));
} else if (/^\/r\/[^/]+$/.test(path)) {
  renderNotYet(app, 'Interview review', 'Replaying a finished interview is not available in this version yet.');
} else if (path === '/mentor') {
  renderMentor(app);
  // Opening the sign-in link in a tab already on /mentor only changes the fragment: no reload.
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('key=')) renderMentor(app);
  });
} else {
  renderLanding(app);
}
