import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class PixelDojoApi implements ICredentialType {
	name = 'pixelDojoApi';

	displayName = 'PixelDojo API';

	icon = { light: 'file:pixelDojo.svg', dark: 'file:pixelDojo.dark.svg' } as const;

	documentationUrl = 'https://pixeldojo.ai/api-platform/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Create a key at https://pixeldojo.ai/api-platform/api-keys',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://pixeldojo.ai/api/v1',
			description: 'Change only for a proxy or a local sandbox. The API key is sent to this origin only.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	/** Lists the models: it needs a valid key but creates no job and spends no credits. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/models',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'PixelDojo rejected the API key: check it at https://pixeldojo.ai/api-platform/api-keys' },
			},
		],
	};
}
