import { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './lib/session.js';
import { Layout } from './components/Layout.js';
import { LoginPage } from './features/auth/LoginPage.js';
import { NotFoundPage } from './components/NotFoundPage.js';
import { PageLoading } from './components/PageLoading.js';
import { lazyPage } from './lib/lazy-page.js';

// Every page but the login page is its own chunk, loaded when it is first shown.
const PlansPage = lazyPage(() => import('./features/plans/PlansPage.js'), 'PlansPage');
const PlanEditorPage = lazyPage(() => import('./features/plans/PlanEditorPage.js'), 'PlanEditorPage');
const DepartmentsPage = lazyPage(() => import('./features/admin/DepartmentsPage.js'), 'DepartmentsPage');
const UsersPage = lazyPage(() => import('./features/admin/UsersPage.js'), 'UsersPage');
const MunicipalitiesPage = lazyPage(() => import('./features/admin/MunicipalitiesPage.js'), 'MunicipalitiesPage');
const HomePage = lazyPage(() => import('./features/home/HomePage.js'), 'HomePage');
const RoundsPage = lazyPage(() => import('./features/rounds/RoundsPage.js'), 'RoundsPage');
const BoardPage = lazyPage(() => import('./features/rounds/BoardPage.js'), 'BoardPage');
const ReviewPage = lazyPage(() => import('./features/rounds/ReviewPage.js'), 'ReviewPage');
const SheetPage = lazyPage(() => import('./features/sheet/SheetPage.js'), 'SheetPage');
const HistoryPage = lazyPage(() => import('./features/sheet/HistoryPage.js'), 'HistoryPage');
const CouncilPage = lazyPage(() => import('./features/council/CouncilPage.js'), 'CouncilPage');
const ReportsPage = lazyPage(() => import('./features/reports/ReportsPage.js'), 'ReportsPage');
const SummaryPage = lazyPage(() => import('./features/reports/SummaryPage.js'), 'SummaryPage');
const ImportPage = lazyPage(() => import('./features/imports/ImportPage.js'), 'ImportPage');
const PasswordPage = lazyPage(() => import('./features/account/PasswordPage.js'), 'PasswordPage');
const ForcedPasswordPage = lazyPage(() => import('./features/account/ForcedPasswordPage.js'), 'ForcedPasswordPage');
const HelpPage = lazyPage(() => import('./features/help/HelpPage.js'), 'HelpPage');
const AuditPage = lazyPage(() => import('./features/audit/AuditPage.js'), 'AuditPage');
const EvaluationSettingsPage = lazyPage(
  () => import('./features/evaluations/EvaluationSettingsPage.js'),
  'EvaluationSettingsPage',
);
const NodeEvaluationsPage = lazyPage(
  () => import('./features/evaluations/NodeEvaluationsPage.js'),
  'NodeEvaluationsPage',
);
const EvaluationsIndexPage = lazyPage(
  () => import('./features/evaluations/EvaluationsIndexPage.js'),
  'EvaluationsIndexPage',
);

export function App() {
  const { session } = useSession();
  const user = session.user;
  if (!user)
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  // A password someone else set is replaced before anything else: the server refuses the rest.
  if (user.mustChangePassword)
    return (
      <Suspense fallback={<PageLoading />}>
        <ForcedPasswordPage />
      </Suspense>
    );
  const home = user.municipalityId ? `/m/${user.municipalityId}/home` : '/admin/municipalities';
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/" element={<Navigate to={home} replace />} />
        <Route path="/login" element={<Navigate to={home} replace />} />
        <Route path="/m/:mid/home" element={<HomePage />} />
        <Route path="/m/:mid/rounds" element={<RoundsPage />} />
        <Route path="/m/:mid/rounds/:rid" element={<BoardPage />} />
        <Route path="/m/:mid/rounds/:rid/review" element={<ReviewPage />} />
        <Route path="/m/:mid/rounds/:rid/departments/:did" element={<SheetPage />} />
        <Route path="/m/:mid/records/:id/history" element={<HistoryPage />} />
        <Route path="/m/:mid/council" element={<CouncilPage />} />
        <Route path="/m/:mid/reports" element={<ReportsPage />} />
        <Route path="/m/:mid/summary" element={<SummaryPage />} />
        <Route path="/m/:mid/imports" element={<ImportPage />} />
        <Route path="/m/:mid/plans" element={<PlansPage />} />
        <Route path="/m/:mid/plans/:pid" element={<PlanEditorPage />} />
        <Route path="/m/:mid/plans/:pid/evaluation" element={<EvaluationSettingsPage />} />
        <Route path="/m/:mid/evaluations/:pid/:year" element={<NodeEvaluationsPage />} />
        <Route path="/m/:mid/evaluations" element={<EvaluationsIndexPage />} />
        <Route path="/m/:mid/departments" element={<DepartmentsPage />} />
        <Route path="/m/:mid/users" element={<UsersPage />} />
        <Route path="/m/:mid/audit" element={<AuditPage />} />
        <Route path="/admin/municipalities" element={<MunicipalitiesPage />} />
        <Route path="/admin/audit" element={<AuditPage />} />
        <Route path="/account/password" element={<PasswordPage />} />
        <Route path="/help" element={<HelpPage />} />
        <Route path="/help/:topic" element={<HelpPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
