import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ShownError } from '../errors/error-store';
import type { AppServices } from './services';

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices must be used inside <ServicesProvider>');
  return services;
}

export function useShownErrors(): readonly ShownError[] {
  const { errors } = useServices();
  return useSyncExternalStore(errors.subscribe, errors.getSnapshot);
}
