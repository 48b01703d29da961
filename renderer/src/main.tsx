// Renderer entry: finds the agent API (Electron preload or web console client) and mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './styles.css';
import { resolveTransport } from './transport/resolve-agent-api.js';

const root = document.getElementById('root');
const transport = resolveTransport();
if (root)
  createRoot(root).render(
    <StrictMode>
      <App transport={transport} />
    </StrictMode>,
  );
