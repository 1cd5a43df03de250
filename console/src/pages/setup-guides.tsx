import { useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';

const GUIDES = {
  okta: {
    label: 'Okta',
    steps: [
      'In Okta Admin, open Applications → Create App Integration and create a SAML 2.0 or SWA app for Roster (or open your existing one).',
      'On the General tab, choose Edit → Provisioning: SCIM, and save.',
      'On the Provisioning tab → Integration, set the SCIM connector base URL to the URL above and the unique identifier field for users to userName.',
      'Tick Push New Users, Push Profile Updates and Push Groups.',
      'Choose HTTP Header as the authentication mode and paste the API key as the Bearer token.',
      'Click Test Connector Configuration (Test API Credentials), then Save.',
      'Under Provisioning → To App, enable Create Users, Update User Attributes and Deactivate Users, then assign people and push groups.',
    ],
  },
  entra: {
    label: 'Microsoft Entra ID',
    steps: [
      'In the Microsoft Entra admin center, open Enterprise applications → New application → Create your own application (non-gallery).',
      'Open Provisioning, choose Get started and set Provisioning Mode to Automatic.',
      'Under Admin Credentials, set Tenant URL to the SCIM base URL above and Secret Token to the API key.',
      'Click Test Connection, then Save.',
      'Under Mappings, keep userPrincipalName → userName and map your phone attribute to phoneNumbers[type eq "work"].value in the form "+41 441234567".',
      'Assign users and groups to the application, set Provisioning Status to On and save. Entra syncs about every 40 minutes.',
    ],
  },
} as const;

type GuideKey = keyof typeof GUIDES;
const KEYS = Object.keys(GUIDES) as GuideKey[];

/** Short set-up steps per identity provider, as keyboard-accessible tabs. */
export function SetupGuides() {
  const [active, setActive] = useState<GuideKey>('okta');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = (index + step + KEYS.length) % KEYS.length;
    const key = KEYS[next];
    if (!key) return;
    setActive(key);
    tabs.current[next]?.focus();
  };
  return (
    <section className="card" aria-labelledby="setup-heading">
      <h2 id="setup-heading" className="card-title">
        Set up your identity provider
      </h2>
      <div role="tablist" aria-label="Identity provider" className="tabs">
        {KEYS.map((key, index) => (
          <button
            key={key}
            ref={(el) => {
              tabs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={active === key}
            aria-controls={`panel-${key}`}
            tabIndex={active === key ? 0 : -1}
            className={`tab${active === key ? ' tab-active' : ''}`}
            onClick={() => setActive(key)}
            onKeyDown={(e) => onKey(e, index)}
          >
            {GUIDES[key].label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`} className="tab-panel">
        <ol className="steps">
          {GUIDES[active].steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <p className="muted">
          Every request your identity provider makes is listed under <Link to="/activity">Provisioning activity</Link>.
        </p>
      </div>
    </section>
  );
}
