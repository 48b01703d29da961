// Renderer entry: finds the agent API (Electron preload or web console client) and mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { resolveApi } from './shell/resolve-api.js';
import './styles.css';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App api={resolveApi()} />
    </StrictMode>,
  );
