import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::district-profile.district-profile');
