import './zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect';
import { App } from './app/App';
import { createAppServices } from './app/services';
import './styles/app.css';

const services = createAppServices(connectApi());

// Whatever escapes a handler still reaches the clerk.
window.addEventListener('error', (event) => services.errors.report('errors.context.unexpected', event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => services.errors.report('errors.context.unexpected', event.reason));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
