import type * as Preset from '@docusaurus/preset-classic';
import type { Config } from '@docusaurus/types';
import type * as OpenApiPlugin from 'docusaurus-plugin-openapi-docs';
import { themes as prismThemes } from 'prism-react-renderer';

// The site is self-contained: no external fonts, scripts or analytics, and search runs in the page.
const config: Config = {
  title: 'MessageJS',
  tagline: 'Send WhatsApp, Telegram, SMS and email with one API call',
  favicon: 'img/favicon.svg',
  // Problem type URIs (https://messagejs.dev/problems/<slug>) are this site's pages.
  url: 'https://messagejs.dev',
  baseUrl: '/',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          // The OpenAPI theme's page component renders the API reference; other pages render as usual.
          docItemComponent: '@theme/ApiItem',
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],

  plugins: [
    [
      'docusaurus-plugin-openapi-docs',
      {
        id: 'api',
        docsPluginId: 'classic',
        config: {
          messagejs: {
            specPath: 'openapi.json',
            outputDir: 'docs/api',
            sidebarOptions: { groupPathsBy: 'tag', categoryLinkSource: 'tag' },
            // The reference is read, not a console: requests go through the quickstart's curl or the SDK.
            hideSendButton: true,
          } satisfies OpenApiPlugin.Options,
        },
      },
    ],
    [
      'docusaurus-plugin-typedoc',
      {
        id: 'sdk',
        entryPoints: ['../packages/sdk/src/index.ts'],
        tsconfig: '../packages/sdk/tsconfig.json',
        out: './docs/sdk/reference',
        readme: 'none',
        excludeInternal: true,
        excludePrivate: true,
        disableSources: true,
        sidebar: { autoConfiguration: true, pretty: true },
      },
    ],
    'docusaurus-plugin-sass',
  ],

  themes: [
    'docusaurus-theme-openapi-docs',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        docsRouteBasePath: '/',
        highlightSearchTermsOnTargetPage: true,
      },
    ],
  ],

  themeConfig: {
    navbar: {
      title: 'MessageJS',
      logo: { alt: 'MessageJS', src: 'img/favicon.svg' },
      items: [
        { type: 'doc', docId: 'quickstart', label: 'Quickstart', position: 'left' },
        { type: 'doc', docId: 'concepts/projects-connectors-keys', label: 'Concepts', position: 'left' },
        { type: 'doc', docId: 'connectors/index', label: 'Connectors', position: 'left' },
        { type: 'doc', docId: 'sdk/index', label: 'SDK', position: 'left' },
        { type: 'doc', docId: 'api/messagejs-api', label: 'API reference', position: 'left' },
        { type: 'doc', docId: 'operations/deployment', label: 'Operate', position: 'left' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Start',
          items: [
            { label: 'Quickstart', to: '/quickstart' },
            { label: 'Send from a browser', to: '/sdk/browser' },
            { label: 'Webhooks', to: '/webhooks' },
          ],
        },
        {
          title: 'Reference',
          items: [
            { label: 'HTTP API', to: '/api/messagejs-api' },
            { label: 'SDK', to: '/sdk/reference' },
            { label: 'Problem types', to: '/problems' },
          ],
        },
        {
          title: 'Project',
          items: [
            { label: 'Architecture', to: '/architecture' },
            { label: 'Security', to: '/security' },
            { label: 'Changelog', to: '/changelog' },
          ],
        },
      ],
      copyright: 'MessageJS is open source under the MIT license.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'json', 'python', 'go'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
