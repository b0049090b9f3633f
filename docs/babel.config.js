// Docusaurus's preset, with sourceType 'unambiguous': the OpenAPI theme ships CommonJS, and read as
// ES modules its files lose their exports once babel adds runtime-helper imports.
module.exports = {
  presets: [require.resolve('@docusaurus/babel/preset')],
  sourceType: 'unambiguous',
};
