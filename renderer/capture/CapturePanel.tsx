import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../app/ServicesContext';
import { describeError } from '../errors/describe-error';
import { useI18n } from '../i18n/I18nProvider';
import { captureStatus, type DeviceListState } from './capture-status';
import { runScan, type ScanProgress } from './run-scan';

export function CapturePanel() {
  const { api, errors } = useServices();
  const { t } = useI18n();
  const [devices, setDevices] = useState<DeviceListState>({ phase: 'loading' });
  const [selectedId, setSelectedId] = useState('');
  const [scan, setScan] = useState<ScanProgress | null>(null);
  const scanning = scan?.phase === 'starting' || scan?.phase === 'scanning';

  const loadDevices = useCallback(() => {
    let current = true;
    setDevices({ phase: 'loading' });
    api['capture.listDevices']({}).then(
      ({ devices: found }) => {
        if (!current) return;
        setDevices({ phase: 'loaded', devices: found });
        setSelectedId((selected) => (found.some((device) => device.id === selected) ? selected : (found[0]?.id ?? '')));
      },
      (error: unknown) => {
        if (!current) return;
        setDevices({ phase: 'failed', error: describeError(error) });
        errors.report('errors.context.devices', error);
      },
    );
    return () => {
      current = false;
    };
  }, [api, errors]);

  useEffect(loadDevices, [loadDevices]);

  const available = devices.phase === 'loaded' ? devices.devices : [];
  const selected = available.find((device) => device.id === selectedId);

  const startScan = async () => {
    if (!selected) return;
    setScan(null);
    const outcome = await runScan(api, selected.id, setScan);
    if (outcome.phase === 'failed') errors.reportDescribed('errors.context.scan', outcome.error);
  };

  const status = captureStatus(devices, scan, selected?.name ?? selectedId, t);

  return (
    <section className="panel capture-panel" aria-labelledby="capture-title">
      <h2 id="capture-title" className="panel-title">
        {t('capture.title')}
      </h2>
      <label className="field-label" htmlFor="device-select">
        {t('capture.device')}
      </label>
      <div className="form-row">
        <select
          id="device-select"
          data-testid="device-select"
          value={selectedId}
          disabled={scanning || available.length === 0}
          onChange={(event) => setSelectedId(event.target.value)}
        >
          {available.length === 0 && (
            <option value="">{devices.phase === 'loading' ? t('capture.devicesLoading') : t('capture.noDevices')}</option>
          )}
          {available.map((device) => (
            <option key={device.id} value={device.id}>
              {t('capture.deviceOption', { name: device.name, backend: device.backend })}
            </option>
          ))}
        </select>
        <button type="button" onClick={loadDevices} disabled={scanning || devices.phase === 'loading'}>
          {t('capture.refresh')}
        </button>
      </div>
      <div className="form-row scan-row">
        <button
          type="button"
          className="primary"
          data-testid="scan-button"
          disabled={scanning || !selected}
          onClick={() => void startScan()}
        >
          {t('capture.scan')}
        </button>
        <p data-testid="capture-status" className={`status-line tone-${status.tone}`} role="status" aria-live="polite">
          {status.text}
        </p>
      </div>
    </section>
  );
}
