import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { AuditPage } from './AuditPage';
import { QueuePage } from './QueuePage';

export const App = () => (
  <Routes>
    <Route index element={<QueuePage />} />
    <Route path="audit" element={<AuditPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
