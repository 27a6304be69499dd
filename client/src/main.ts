// Entry: a small SPA. The room and the replay (and Monaco) load only on /s/<token> and /r/<token>.
import './styles.css';
import { renderLanding } from './pages/landing.ts';
import { renderMentor } from './pages/mentor.ts';
import { renderPractice } from './pages/practice.ts';
import { reviewApi } from './review/api.ts';

const app = document.getElementById('app');
if (!app) throw new Error('#app missing');

const path = location.pathname.replace(/\/+$/, '') || '/';
const room = /^\/s\/([^/]+)$/.exec(path);
// /r/<token> is the replay, /r/<token>/report the report (review link, or the mentor's own link).
const review = /^\/r\/([^/]+)(\/report)?$/.exec(path);
// /practice/<slug>: an exercise to read before starting an attempt.
const exercise = /^\/practice\/([a-z0-9-]+)$/.exec(path);

if (room?.[1]) {
  const token = decodeURIComponent(room[1]);
  void import('./room/room.ts').then(({ startRoom }) => startRoom(app, token));
} else if (review?.[1]) {
  const token = decodeURIComponent(review[1]);
  const card = document.createElement('div');
  card.className = 'center-card';
  card.textContent = review[2] ? 'Loading the report…' : 'Loading the recording…';
  app.replaceChildren(card);
  // The data and the page's code (Monaco, uPlot) download side by side.
  const loading = reviewApi.load(token);
  loading.catch(() => {}); // the page shows the error once it is loaded
  if (review[2]) void import('./review/report.ts').then(({ startReport }) => startReport(app, token, loading));
  else {
    // The document history is rebuilt while the editor's code is still arriving.
    const history = Promise.all([loading, import('./review/history.ts')]).then(([data, m]) => m.historyOf(data));
    history.catch(() => {});
    void import('./review/replay.ts').then(({ startReplay }) => startReplay(app, token, loading, history));
  }
} else if (path === '/practice') {
  renderPractice(app);
} else if (exercise?.[1]) {
  const slug = exercise[1];
  void import('./practice/exercise-page.ts').then(({ renderExercisePage }) => renderExercisePage(app, slug));
} else if (path === '/mentor/join') {
  void import('./pages/team.ts').then(({ renderJoin }) => renderJoin(app));
} else if (path === '/mentor/team') {
  void import('./pages/team.ts').then(({ renderTeam }) => renderTeam(app));
} else if (path === '/mentor/tokens') {
  void import('./pages/team.ts').then(({ renderTokens }) => renderTokens(app));
} else if (path === '/mentor/audit') {
  void import('./pages/team.ts').then(({ renderAudit }) => renderAudit(app));
} else if (path === '/mentor/board') {
  void import('./pages/board.ts').then(({ renderBoard }) => renderBoard(app));
} else if (path === '/mentor') {
  renderMentor(app);
  // Opening the sign-in link in a tab already on /mentor only changes the fragment: no reload.
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('key=')) renderMentor(app);
  });
} else {
  renderLanding(app);
}
