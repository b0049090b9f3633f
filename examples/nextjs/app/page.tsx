import { ContactForm } from './contact-form';
import { OrderUpdateForm } from './order-update-form';

export default function Home() {
  return (
    <main>
      <h1>MessageJS in Next.js</h1>
      <ContactForm />
      <OrderUpdateForm />
    </main>
  );
}
