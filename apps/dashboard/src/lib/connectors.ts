import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ConnectorView } from '../api/types';

export const connectorsKey = (projectId: string) => ['projects', projectId, 'connectors'] as const;

export function useConnectors(projectId: string) {
  return useQuery({
    queryKey: connectorsKey(projectId),
    queryFn: () => api<{ data: ConnectorView[] }>('GET', `/projects/${projectId}/connectors`),
  });
}
