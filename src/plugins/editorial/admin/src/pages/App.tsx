import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { AuditPage } from './AuditPage';
import { QueuePage } from './QueuePage';
import { ReleasePage, ReleasesPage } from './ReleasesPage';
import { TranslationsPage } from './TranslationsPage';

export const App = () => (
  <Routes>
    <Route index element={<QueuePage />} />
    <Route path="audit" element={<AuditPage />} />
    <Route path="releases" element={<ReleasesPage />} />
    <Route path="translations" element={<TranslationsPage />} />
    <Route path="releases/:id" element={<ReleasePage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
