import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './lib/session.js';
import { Layout } from './components/Layout.js';
import { LoginPage } from './features/auth/LoginPage.js';
import { PlansPage } from './features/plans/PlansPage.js';
import { PlanEditorPage } from './features/plans/PlanEditorPage.js';
import { DepartmentsPage } from './features/admin/DepartmentsPage.js';
import { UsersPage } from './features/admin/UsersPage.js';
import { MunicipalitiesPage } from './features/admin/MunicipalitiesPage.js';
import { NotFoundPage } from './components/NotFoundPage.js';
import { HomePage } from './features/home/HomePage.js';
import { RoundsPage } from './features/rounds/RoundsPage.js';
import { BoardPage } from './features/rounds/BoardPage.js';
import { ReviewPage } from './features/rounds/ReviewPage.js';
import { SheetPage } from './features/sheet/SheetPage.js';
import { HistoryPage } from './features/sheet/HistoryPage.js';
import { CouncilPage } from './features/council/CouncilPage.js';
import { ReportsPage } from './features/reports/ReportsPage.js';
import { SummaryPage } from './features/reports/SummaryPage.js';
import { ImportPage } from './features/imports/ImportPage.js';
import { PasswordPage } from './features/account/PasswordPage.js';
import { ForcedPasswordPage } from './features/account/ForcedPasswordPage.js';
import { AuditPage } from './features/audit/AuditPage.js';

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
  if (user.mustChangePassword) return <ForcedPasswordPage />;
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
        <Route path="/m/:mid/departments" element={<DepartmentsPage />} />
        <Route path="/m/:mid/users" element={<UsersPage />} />
        <Route path="/m/:mid/audit" element={<AuditPage />} />
        <Route path="/admin/municipalities" element={<MunicipalitiesPage />} />
        <Route path="/admin/audit" element={<AuditPage />} />
        <Route path="/account/password" element={<PasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
